package dev.quiesce.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of {@code GET /jobs}; {@code next} is the cursor of the following page, or null at the end. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record JobPage(List<JobView> jobs, String next) {
}

package dev.quiesce.web;

import java.util.List;

/** The body of {@code GET /instances}. */
record InstanceList(List<InstanceView> instances) {
}

package dev.quiesce.web;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import dev.quiesce.jobs.Job;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one job as the JSON body of an answer, with the application's {@link JsonMapper} (the same output as
 * Spring MVC's JSON converter), as bytes. The hot answers ({@code POST /jobs}, {@code GET /jobs/{id}}) then skip
 * the converter selection and the chunked encoding: the profile of the submit path showed the selection
 * costing as much as the serialisation.
 */
@Component
final class JobViewWriter {

    private final ObjectWriter writer;

    JobViewWriter(JsonMapper mapper) {
        this.writer = mapper.writerFor(JobView.class);
    }

    ResponseEntity<byte[]> body(ResponseEntity.BodyBuilder answer, Job job) {
        return answer.contentType(MediaType.APPLICATION_JSON).body(writer.writeValueAsBytes(JobView.of(job)));
    }
}

package dev.quiesce.web.stream;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /lifecycle/stream}: Server-Sent Events of the lifecycle body; ends when the web phase begins. */
@RestController
final class LifecycleStreamController {

    private final LifecycleStreams streams;

    LifecycleStreamController(LifecycleStreams streams) {
        this.streams = streams;
    }

    @GetMapping(path = "/lifecycle/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() {
        return streams.open();
    }

    /**
     * {@code HEAD /lifecycle/stream}: the headers a stream starts with, answered at once. Left to the GET
     * mapping, a HEAD would open a stream that sends nothing and holds its connection for the stream's timeout.
     */
    @Operation(hidden = true)
    @RequestMapping(path = "/lifecycle/stream", method = RequestMethod.HEAD,
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<Void> head() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).build();
    }
}

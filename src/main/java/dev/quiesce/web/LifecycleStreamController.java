package dev.quiesce.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
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
}

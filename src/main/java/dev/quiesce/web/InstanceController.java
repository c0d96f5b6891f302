package dev.quiesce.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.quiesce.lifecycle.Heartbeat;

/** {@code GET /instances}, from the heartbeat's copy in memory; its OpenAPI description is on {@link InstanceApi}. */
@RestController
final class InstanceController implements InstanceApi {

    private final Heartbeat heartbeat;

    InstanceController(Heartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    @GetMapping("/instances")
    public InstanceList instances() {
        return new InstanceList(heartbeat.instances().stream().map(InstanceView::of).toList());
    }
}

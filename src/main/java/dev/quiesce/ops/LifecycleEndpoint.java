package dev.quiesce.ops;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.quiesce.lifecycle.LifecycleView;
import dev.quiesce.lifecycle.LifecycleViews;

/** {@code GET /actuator/lifecycle}: the same body as {@code GET /lifecycle}. */
@Endpoint(id = "lifecycle")
final class LifecycleEndpoint {

    private final LifecycleViews views;

    LifecycleEndpoint(LifecycleViews views) {
        this.views = views;
    }

    @ReadOperation
    LifecycleView lifecycle() {
        return views.current();
    }
}

package dev.quiesce.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.quiesce.lifecycle.LifecycleView;
import dev.quiesce.lifecycle.LifecycleViews;

/** {@code GET /lifecycle}: the live state of the service and of a stop in progress. */
@RestController
final class LifecycleController {

    private final LifecycleViews views;

    LifecycleController(LifecycleViews views) {
        this.views = views;
    }

    @GetMapping("/lifecycle")
    LifecycleView lifecycle() {
        return views.current();
    }
}

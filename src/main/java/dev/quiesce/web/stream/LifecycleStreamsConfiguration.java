package dev.quiesce.web.stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.lifecycle.LifecycleViews;

/** The open lifecycle streams, one bean: the controller opens them, the web phase of a stop ends them. */
@Configuration(proxyBeanMethods = false)
class LifecycleStreamsConfiguration {

    @Bean
    LifecycleStreams lifecycleStreams(ObjectProvider<LifecycleViews> views) {
        return new LifecycleStreams(views);
    }
}

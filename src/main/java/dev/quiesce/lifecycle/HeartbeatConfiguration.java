package dev.quiesce.lifecycle;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;

/** This instance's heartbeat in the store, on the lease's beat, and its last beat at the stop's end. */
@Configuration(proxyBeanMethods = false)
class HeartbeatConfiguration {

    @Bean
    Heartbeat heartbeat(InstanceStore store, ShutdownCoordinator coordinator, JobCounter counter, Clock clock,
            QuiesceProperties properties, ObjectProvider<BuildProperties> build) {
        BuildProperties buildProperties = build.getIfAvailable();
        String version = buildProperties == null ? null : buildProperties.getVersion();
        Heartbeat heartbeat = new Heartbeat(store, coordinator, counter, clock, properties.instanceId(), version,
                properties.jobs().lease(), properties.store().timeout());
        coordinator.addListener(heartbeat.stateListener());
        return heartbeat;
    }

    @Bean
    HeartbeatLifecycle heartbeatLifecycle(Heartbeat heartbeat, ShutdownCoordinator coordinator) {
        return new HeartbeatLifecycle(heartbeat, coordinator);
    }
}

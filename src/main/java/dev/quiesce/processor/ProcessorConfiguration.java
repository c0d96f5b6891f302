package dev.quiesce.processor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.store.JobStore;

@Configuration(proxyBeanMethods = false)
class ProcessorConfiguration {

    @Bean
    OutcomeProcessor outcomeProcessor(JobStore store, QuiesceProperties properties) {
        return new OutcomeProcessor(store, properties.processor().flushInterval(), properties.processor().batchSize());
    }

    @Bean
    ProcessorFlushLifecycle processorFlushLifecycle(OutcomeProcessor processor, ShutdownCoordinator coordinator) {
        return new ProcessorFlushLifecycle(processor, coordinator);
    }
}

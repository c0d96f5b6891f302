package dev.quiesce.web;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Request bodies are read before the request goes on, without a thread ({@link BodyFirstFilter}). */
@Configuration(proxyBeanMethods = false)
class BodyFirstRegistration {

    /** Right after Spring Security's filters: a request is authorised before its body is read. */
    static final int ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1;

    @Bean
    BodyFirstFilter bodyFirstFilter() {
        return new BodyFirstFilter(JobController.MAX_BODY_BYTES);
    }

    @Bean
    FilterRegistrationBean<BodyFirstFilter> bodyFirstFilterRegistration(BodyFirstFilter filter) {
        FilterRegistrationBean<BodyFirstFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        return registration;
    }
}

package dev.quiesce.web;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The error page for what never reaches a controller (Tomcat's rejections, security's 401/403, unmapped
 * paths): problem+json with the status, never HTML or a stack trace. A 405 keeps its {@code Allow} (RFC 9110,
 * section 15.5.6).
 */
@Controller
final class ProblemErrorController implements ErrorController {

    /** What the static resources (the console, and every path no controller maps) answer to. */
    private static final String RESOURCE_METHODS = "GET, HEAD";

    /** Servlet 6.1's {@code RequestDispatcher.ERROR_METHOD}: an error dispatch itself is a GET. */
    private static final String ERROR_METHOD = "jakarta.servlet.error.method";

    private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;

    ProblemErrorController(ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : HttpStatus.NOT_FOUND.value();
        if (status < 400) {
            status = HttpStatus.NOT_FOUND.value();
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 401 -> "authentication required";
            case 403 -> "not allowed";
            case 404 -> "no such resource";
            case 405 -> "method " + Problems.printable(method(request)) + " not allowed here";
            default -> title;
        };
        if (response.isCommitted()) {
            return;
        }
        String allow = status == HttpStatus.METHOD_NOT_ALLOWED.value() ? allow(request, response) : null;
        response.reset();
        if (allow != null) {
            response.setHeader(HttpHeaders.ALLOW, allow);
        }
        Problems.write(response, status, title, detail);
    }

    /**
     * The methods of the resource: as whoever answered 405 said them, except for Tomcat's refusal of TRACE,
     * whose list is the servlet's (every method Spring MVC implements), not the resource's.
     */
    private String allow(HttpServletRequest request, HttpServletResponse response) {
        String given = response.getHeader(HttpHeaders.ALLOW);
        if (given != null && !given.isBlank() && !"TRACE".equals(method(request))) {
            return given;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String text ? text.substring(request.getContextPath().length()) : "/";
        return mappedMethods(path);
    }

    private static String method(HttpServletRequest request) {
        return request.getAttribute(ERROR_METHOD) instanceof String method ? method : request.getMethod();
    }

    private String mappedMethods(String path) {
        PathContainer container = PathContainer.parsePath(path);
        Set<RequestMethod> methods = EnumSet.noneOf(RequestMethod.class);
        boolean mapped = false;
        for (RequestMappingInfoHandlerMapping mapping : (Iterable<RequestMappingInfoHandlerMapping>) mappings
                .orderedStream()::iterator) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                if (info.getPathPatternsCondition() != null && info.getPathPatternsCondition().getPatterns().stream()
                        .anyMatch(pattern -> pattern.matches(container))) {
                    mapped = true;
                    Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
                    methods.addAll(declared.isEmpty() ? Arrays.asList(RequestMethod.values()) : declared);
                }
            }
        }
        methods.remove(RequestMethod.TRACE);
        if (!mapped || methods.isEmpty()) {
            return RESOURCE_METHODS;
        }
        return methods.stream().map(RequestMethod::name).collect(Collectors.joining(", "));
    }
}

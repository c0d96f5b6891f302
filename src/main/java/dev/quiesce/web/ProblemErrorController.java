package dev.quiesce.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page for what never reaches a controller (Tomcat's rejections, security's 401/403, unmapped
 * paths): problem+json with the status, never HTML or a stack trace.
 */
@Controller
final class ProblemErrorController implements ErrorController {

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
            case 405 -> "method not allowed here";
            default -> title;
        };
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        Problems.write(response, status, title, detail);
    }
}

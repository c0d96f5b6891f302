package dev.quiesce.web;

import java.net.http.HttpHeaders;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP answer: status, headers and the body as text. */
record Reply(int status, HttpHeaders headers, String body) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    JsonNode json() {
        return JSON.readTree(body);
    }

    String contentType() {
        return headers.firstValue("Content-Type").orElse("");
    }

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + contentType() + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
    }
}

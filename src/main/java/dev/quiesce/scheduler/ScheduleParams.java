package dev.quiesce.scheduler;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Properties bind every scalar as text ({@code params.durationMs=100} is the string "100"); job params are
 * typed JSON. This turns integer-looking and boolean-looking text back into numbers and booleans.
 */
final class ScheduleParams {

    private ScheduleParams() {
    }

    static JsonNode typed(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), typed(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(typed(element)));
            return copy;
        }
        if (node.isString()) {
            String text = node.asString();
            if (text.matches("-?\\d{1,18}")) {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
            }
            if (text.equals("true") || text.equals("false")) {
                return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(text));
            }
        }
        return node;
    }
}

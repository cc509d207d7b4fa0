package dev.ballast.web;

import io.quarkus.qute.TemplateExtension;

/**
 * What the pages ask of a captured or observed value: whether it spans lines (a domain's XML), and how many;
 * an audit record's JSON as people read it.
 */
@TemplateExtension
final class TextExtensions {

    private TextExtensions() {
    }

    static boolean multiline(String value) {
        return value != null && value.indexOf('\n') >= 0;
    }

    static long lineCount(String value) {
        return value == null ? 0 : value.lines().count();
    }

    /** An audit record's before or after as indented JSON, one field a line. */
    static String pretty(com.fasterxml.jackson.databind.JsonNode value) {
        return value == null || value.isNull() ? "" : value.toPrettyString();
    }
}

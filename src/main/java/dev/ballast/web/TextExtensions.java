package dev.ballast.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.ballast.inventory.Inventory;
import io.quarkus.qute.TemplateExtension;

/**
 * What the pages ask of a captured or observed value: whether it spans lines (a domain's XML), and how many;
 * an audit record's JSON as people read it; a value for a link's query; where a page of hosts stands in
 * the whole list.
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

    static String urlEncoded(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** The 1-based number of the page's first host. */
    static long first(Inventory.Page page) {
        return page.items().isEmpty() ? 0 : (long) page.page() * page.size() + 1;
    }

    static long last(Inventory.Page page) {
        return (long) page.page() * page.size() + page.items().size();
    }

    static boolean hasNext(Inventory.Page page) {
        return last(page) < page.total();
    }

    static int next(Inventory.Page page) {
        return page.page() + 1;
    }

    static int previous(Inventory.Page page) {
        return page.page() - 1;
    }
}

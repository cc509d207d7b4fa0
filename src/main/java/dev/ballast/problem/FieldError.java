package dev.ballast.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing wrong with a request: the field (a JSON property path, a parameter, or a key in an
 * uploaded file) and, for uploaded files, the line it stands on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message, Integer line) {

    public FieldError(String field, String message) {
        this(field, message, null);
    }

    public FieldError atLine(int line) {
        return new FieldError(field, message, line);
    }

    @Override
    public String toString() {
        return (line == null ? "" : "line " + line + ": ") + field + ": " + message;
    }
}

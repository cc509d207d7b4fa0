package dev.ballast.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ballast.problem.FieldError;

/** An RFC 9457 problem answer: every error Ballast's API gives has this shape. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(int status, String slug, String title, String detail) {
        return new Problem("urn:ballast:problem:" + slug, title, status, detail, List.of());
    }

    Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, fieldErrors);
    }
}

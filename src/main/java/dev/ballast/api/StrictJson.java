package dev.ballast.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * JSON bodies are read as written, never guessed at: a key given twice is refused (Jackson's default keeps
 * the last one, so {@code {"mode": "check", "mode": "apply"}} would apply while a reviewer reads check), and
 * a fraction where a whole number belongs is refused ({@code "sshPort": 22.5} was stored as 22).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}

package dev.ballast.remote;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

import net.schmizz.sshj.common.LoggerFactory;

/**
 * sshj asks for a logger for every channel and stream it creates, a dozen per host; through slf4j the
 * log manager builds a new logger object each time (a quarter of a worker's CPU in the benchmark).
 * Loggers are per class, so each is looked up once.
 */
final class CachedLoggers implements LoggerFactory {

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, LoggerFactory.DEFAULT::getLogger);
    }

    @Override
    public Logger getLogger(Class<?> type) {
        return getLogger(type.getName());
    }
}

package dev.ballast.lab;

/**
 * A command the lab does not simulate. Answered with exit status 127 and recorded by the fleet, so a
 * catalog command and its simulation cannot drift apart without a test noticing.
 */
final class LabSurprise extends RuntimeException {

    LabSurprise(String message) {
        super(message);
    }
}

package dev.ballast.rollout;

import java.util.List;
import java.util.stream.Collectors;

import dev.ballast.catalog.DomainLog;
import dev.ballast.remote.RemoteFailure;

/**
 * The QEMU logs read after a step or check failed, and the part of them a host's "why" shows. Reading them is
 * a courtesy to the operator: when it fails, the result is the step's own, as it would have been without them.
 */
final class Diagnostics {

    /** A read of domain logs through the host's shell. */
    interface Read {
        List<DomainLog> get() throws RemoteFailure;
    }

    private Diagnostics() {
    }

    static List<DomainLog> read(Read read) {
        try {
            return read.get();
        } catch (RemoteFailure unreadable) {
            return List.of();
        }
    }

    /** "; QEMU on vm-1-1 ...: <its error line>" for each log where QEMU gave a reason, else nothing. */
    static String why(List<DomainLog> logs) {
        return logs.stream().filter(log -> log.qemuSaid() != null).map(log -> "; " + log.summary())
                .collect(Collectors.joining());
    }
}

package dev.ballast.identity;

/** A stored secret (a private key, a rollback point's passwords) does not decrypt with the configured master key. */
public class MasterKeyMismatchException extends IllegalStateException {
    MasterKeyMismatchException(String what) {
        super(what + " does not decrypt with the configured master key: "
                + "this Ballast has a different ballast.master-key from the one that stored it");
    }
}

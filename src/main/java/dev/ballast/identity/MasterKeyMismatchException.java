package dev.ballast.identity;

/** A stored private key does not decrypt with the configured master key. */
public class MasterKeyMismatchException extends IllegalStateException {
    MasterKeyMismatchException(IdentityName name) {
        super("the private key of SSH identity '" + name + "' does not decrypt with the configured master key: "
                + "this Ballast has a different ballast.master-key from the one that stored it");
    }
}

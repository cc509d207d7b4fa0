package dev.ballast.remote;

/**
 * A value that may be placed into a remote command. Implementations validate their text against a
 * strict pattern when they are built, so a value that exists is one that may reach a host; {@link Command}
 * still quotes it, because validation is a policy and quoting is the guarantee.
 */
public interface RemoteArg {

    /** The exact text the remote program must receive as one argument. */
    String arg();
}

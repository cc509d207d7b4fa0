package dev.ballast.lab;

/**
 * A part of a lab host's file tree that one model owns (/sys/block, /proc/meminfo, /etc): reads
 * render the model's state the way the kernel or a distribution would, writes change it.
 */
interface LabFiles {

    boolean owns(String path);

    /** The file's text, or null when the file does not exist. */
    String read(String path);

    /** Writes the whole file as tee would; a failure is the Exec tee would end with. */
    Exec write(String path, String text);

    /** Removes the file as rm -f would. */
    default Exec remove(String path) {
        throw new LabSurprise("removing " + path + " is not simulated");
    }
}

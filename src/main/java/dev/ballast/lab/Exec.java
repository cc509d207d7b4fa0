package dev.ballast.lab;

/** What a simulated program printed and how it exited. */
record Exec(int exit, String stdout, String stderr) {

    static Exec ok(String stdout) {
        return new Exec(0, stdout, "");
    }

    static Exec fail(int exit, String stderr) {
        return new Exec(exit, "", stderr);
    }
}

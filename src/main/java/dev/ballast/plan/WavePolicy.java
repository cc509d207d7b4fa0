package dev.ballast.plan;

import java.util.List;

/**
 * How a rollout spreads over its hosts. The canary is {@code canary} hosts, or one host per distinct
 * value of {@code canaryCoverLabels}; then each size brings the rollout to that many hosts in total
 * ({@code 10%} of all, or a count), or, with {@code wavePerValue}, each wave is one value of the spread
 * label (one rack per wave). A wave that fails more than {@code maxWaveFailures}, or a rollout over
 * {@code maxTotalFailures}, halts (or, with {@code continueOnThreshold}, goes on and reports it).
 * {@code healthGate} names the preflight checks read again after each host's steps (fio-baseline against
 * {@code fioMaxDropPercent}, kernel-io-errors for errors new since the preflight).
 */
public record WavePolicy(int canary, List<String> canaryCoverLabels, List<Amount> sizes, String spreadLabel,
        int maxInFlightPerValue, boolean wavePerValue, Amount maxWaveFailures, Amount maxTotalFailures, boolean continueOnThreshold,
        Approval approval, long pauseSeconds, Integer fioMaxDropPercent, List<String> healthGate) {

    public enum Approval { NONE, AFTER_CANARY, EVERY_WAVE }

    /** Whether wave 0 is a canary (a count, or hosts covering labels) rather than the first of the sized waves. */
    public boolean hasCanary() {
        return canary > 0 || canaryCoverLabels != null && !canaryCoverLabels.isEmpty();
    }

    /** How pages, reasons and logs call wave {@code number}: "canary" for the canary, else "wave N". */
    public String waveName(int number) {
        return number == 0 && hasCanary() ? "canary" : "wave " + number;
    }

    /** A count of hosts, or a percentage of some total. */
    public record Amount(int value, boolean percent) {

        public static Amount parse(String text) {
            if (text == null || !text.matches("[0-9]{1,6}%?")) {
                throw new IllegalArgumentException("'" + text + "' is not a count or a percentage such as 10%");
            }
            boolean percent = text.endsWith("%");
            int value = Integer.parseInt(percent ? text.substring(0, text.length() - 1) : text);
            if (percent && value > 100) {
                throw new IllegalArgumentException("'" + text + "' is more than 100%");
            }
            return new Amount(value, percent);
        }

        /** This amount out of {@code total}; percentages round up, so 10% of 5 hosts is 1, not 0. */
        public int of(int total) {
            return percent ? (int) Math.ceil(total * value / 100.0) : value;
        }

        @Override
        public String toString() {
            return value + (percent ? "%" : "");
        }
    }
}

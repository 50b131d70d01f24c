package io.conveyor.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.OptionalDouble;

import io.conveyor.model.BatchView;
import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskView;

/**
 * The one-line progress display of a wait, on standard error: the task's status, attempt and the time waited,
 * redrawn in place, and a bar when the task reports its progress. Shown only when standard error is a terminal or
 * {@code --progress} forces it; {@link #off()} shows nothing.
 */
class Progress {

    private static final char[] SPINNER = {'|', '/', '-', '\\'};
    private static final int BAR = 20;

    private final PrintWriter err;
    private int frames;
    private boolean drawn;

    Progress(PrintWriter err) {
        this.err = err;
    }

    /** A display that shows nothing. */
    static Progress off() {
        return new Progress(null);
    }

    boolean enabled() {
        return err != null;
    }

    /** Redraws the line for the latest view. */
    void show(TaskView view, Duration elapsed) {
        if (err == null) {
            return;
        }
        err.print("\r\u001b[K" + line(view, elapsed, SPINNER[frames++ % SPINNER.length]));
        err.flush();
        drawn = true;
    }

    /** Redraws the line for the latest view of a batch. */
    void show(BatchView view, Duration elapsed) {
        if (err == null) {
            return;
        }
        err.print("\r\u001b[K" + line(view, elapsed, SPINNER[frames++ % SPINNER.length]));
        err.flush();
        drawn = true;
    }

    /** Ends the line, so that what follows starts on its own. */
    void done() {
        if (err != null && drawn) {
            err.println();
            err.flush();
        }
    }

    static String line(TaskView view, Duration elapsed, char spinner) {
        StringBuilder line = new StringBuilder();
        line.append(view.status().terminal() ? ' ' : spinner).append(' ');
        line.append(view.id()).append("  ").append(view.status());
        if (view.attempts() > 0) {
            line.append("  attempt ").append(view.attempts()).append('/').append(view.maxAttempts());
        }
        TaskProgress progress = view.status().terminal() ? null : view.progress();
        OptionalDouble percent = percent(progress);
        if (percent.isPresent()) {
            line.append("  ").append(bar(percent.getAsDouble()));
        } else if (progress != null) {
            line.append("  ").append(progress.done()).append(" done");
        }
        if (progress != null && progress.message() != null) {
            line.append("  ").append(progress.message());
        }
        line.append("  ").append(elapsed(elapsed));
        return line.toString();
    }

    /** A batch's line: a bar of its tasks done, done/size, its counts by status and the time waited. */
    static String line(BatchView view, Duration elapsed, char spinner) {
        int done = view.size() - view.remaining();
        double percent = view.size() == 0 ? 100 : 100.0 * done / view.size();
        return (view.done() ? ' ' : spinner) + " " + view.id() + "  "
                + bar(percent).substring(0, BAR + 2) + " " + done + "/" + view.size() + " done  "
                + Printer.counts(view.counts()) + "  " + elapsed(elapsed);
    }

    /** The share of its units a task reports done, 0 to 100; empty without a report or with an unknown total. */
    static OptionalDouble percent(TaskProgress progress) {
        if (progress == null || progress.total() == null) {
            return OptionalDouble.empty();
        }
        if (progress.total() <= 0) {
            return OptionalDouble.of(100);
        }
        return OptionalDouble.of(Math.max(0, Math.min(100, 100.0 * progress.done() / progress.total())));
    }

    static String bar(double percent) {
        int filled = (int) Math.round(percent / 100 * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + Math.round(percent) + "%";
    }

    static String elapsed(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
    }
}

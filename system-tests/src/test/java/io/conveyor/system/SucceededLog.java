package io.conveyor.system;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads which tasks a worker finished from its DEBUG log line "Task {id} ({type}) succeeded on attempt {n}". */
final class SucceededLog {

    /** JVM argument that turns those lines on. */
    static final String ENABLE = "-Dquarkus.log.category.\"io.conveyor.worker.consume\".level=DEBUG";

    private static final Pattern LINE = Pattern.compile("Task (\\S+) \\((\\w+)\\) succeeded on attempt (\\d+)");

    private SucceededLog() {}

    static List<String> ids(App worker) {
        Matcher m = LINE.matcher(worker.log());
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}

package io.conveyor.worker.handler.generatereport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.GenerateReportPayload;
import io.conveyor.model.result.ReportWritten;
import io.conveyor.model.state.StateKeys;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Counts task outcomes per type and status over a window and writes them as CSV (RFC 4180: CRLF line ends, header
 * {@code type,status,count}, rows sorted by type then status) to {@code <taskId>.csv} in the artifact directory
 * ({@code CONVEYOR_ARTIFACT_DIR}). A task counts when its {@code createdAt} lies in {@code [now - window, now]}.
 *
 * <p>Reads the state store as it is, without locking it: the all-tasks index by creation time in pages of
 * {@value #PAGE} (keyset paging on the score, so tasks added or removed meanwhile do not shift later pages), and
 * each page's {@code type} and {@code status} in one pipelined batch of HMGETs. Index entries whose record has
 * expired are skipped, so finished tasks older than their retention (7 days, dead ones 30) are not counted.
 */
@ApplicationScoped
public class GenerateReportHandler implements TaskHandler<GenerateReportPayload> {

    static final int PAGE = 1000;
    /** One page's pipelined reads; a Redis that does not answer fails the attempt, which is retried. */
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(10);

    static final String HEADER = "type,status,count";

    /** The task's result: the file's name inside the artifact directory and its data rows (header excluded). */
    private final RedisDataSource redis;

    private final SortedSetCommands<String, String> index;
    private final Artifacts artifacts;

    public GenerateReportHandler(RedisDataSource redis, Artifacts artifacts) {
        this.redis = redis;
        this.index = redis.sortedSet(String.class, String.class);
        this.artifacts = artifacts;
    }

    @Override
    public Class<GenerateReportPayload> payloadType() {
        return GenerateReportPayload.class;
    }

    @Override
    public ReportWritten handle(GenerateReportPayload payload, TaskContext context)
            throws IOException, InterruptedException {
        Instant now = Instant.now();
        SortedMap<String, SortedMap<String, Long>> counts =
                count(now.minus(payload.window()).toEpochMilli(), now.toEpochMilli());
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        int rows = 0;
        for (Map.Entry<String, SortedMap<String, Long>> type : counts.entrySet()) {
            for (Map.Entry<String, Long> status : type.getValue().entrySet()) {
                csv.append(field(type.getKey()))
                        .append(',')
                        .append(field(status.getKey()))
                        .append(',')
                        .append(status.getValue())
                        .append("\r\n");
                rows++;
            }
        }
        String fileName =
                artifacts.write(context.taskId(), "csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        return new ReportWritten(fileName, rows);
    }

    /** type → status → tasks created within {@code [from, to]} (epoch ms), from the all-tasks index. */
    private SortedMap<String, SortedMap<String, Long>> count(long from, long to) throws InterruptedException {
        SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
        double min = from;
        int skip = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("Report interrupted (its timeout passed)");
            }
            List<ScoredValue<String>> page = index.zrangebyscoreWithScores(
                    StateKeys.index(null, null),
                    new ScoreRange<>(min, (double) to),
                    new ZRangeArgs().limit(skip, PAGE));
            tally(page, counts);
            if (page.size() < PAGE) {
                return counts;
            }
            // Next page: from the last score seen, skipping the members at that score already counted.
            double last = page.get(page.size() - 1).score();
            int atLast = (int) page.stream().filter(v -> v.score() == last).count();
            skip = last == min ? skip + atLast : atLast;
            min = last;
        }
    }

    private void tally(List<ScoredValue<String>> page, SortedMap<String, SortedMap<String, Long>> counts) {
        if (page.isEmpty()) {
            return;
        }
        List<Request> reads = new ArrayList<>(page.size());
        for (ScoredValue<String> entry : page) {
            reads.add(Request.cmd(Command.HMGET)
                    .arg(StateKeys.task(entry.value()))
                    .arg("type")
                    .arg("status"));
        }
        for (Response fields :
                redis.getReactive().getRedis().batch(reads).await().atMost(BATCH_TIMEOUT)) {
            String type = text(fields.get(0));
            String status = text(fields.get(1));
            if (type != null && status != null) {
                counts.computeIfAbsent(type, t -> new TreeMap<>()).merge(status, 1L, Long::sum);
            }
        }
    }

    private static String text(Response value) {
        return value == null ? null : value.toString();
    }

    /** A CSV field, quoted when it holds a comma, quote or line break (type names never do; stored data might). */
    private static String field(String value) {
        return value.matches("[^,\"\r\n]*") ? value : "\"" + value.replace("\"", "\"\"") + "\"";
    }
}

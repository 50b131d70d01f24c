package io.conveyor.worker.handler.generatereport;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.payload.GenerateReportPayload;
import io.conveyor.model.query.QueryDefinition;
import io.conveyor.model.result.ReportWritten;
import io.conveyor.model.state.StateKeys;
import io.conveyor.worker.handler.Artifacts;
import io.conveyor.worker.handler.TaskContext;
import io.conveyor.worker.handler.TaskHandler;
import io.conveyor.worker.handler.dbquery.QueryLimits;
import io.conveyor.worker.handler.dbquery.QueryRunner;
import io.conveyor.worker.handler.table.Column;
import io.conveyor.worker.handler.table.TableWriter;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes a report to {@code <taskId>.<format>} in the artifact directory ({@code CONVEYOR_ARTIFACT_DIR}) as CSV (RFC
 * 4180: CRLF line ends, a header row), JSON (an array of objects) or HTML (a standalone page with one table), of one of
 * two sources:
 *
 * <ul>
 *   <li><b>task statistics</b> ({@code window}): task outcomes per type and status, columns {@code type,status,count},
 *       rows sorted by type then status. A task counts when its {@code createdAt} lies in {@code [now - window, now]}.
 *   <li><b>a query's rows</b> ({@code query}, {@code params}): an allow-listed query run by the {@link QueryRunner}
 *       that {@code db_query} uses (read-only transaction, statement timeout, row limit), streamed into the file row
 *       by row, so a large result never sits in memory.
 * </ul>
 *
 * <p>The file is streamed into a temporary file that replaces the artifact only when the report is complete.
 *
 * <p>Statistics read the state store as it is, without locking it: the all-tasks index by creation time in pages of
 * {@value #PAGE} (keyset paging on the score, so tasks added or removed meanwhile do not shift later pages), and
 * each page's {@code type} and {@code status} in one pipelined batch of HMGETs. Index entries whose record has
 * expired are skipped, so finished tasks older than their retention (7 days, dead ones 30) are not counted.
 */
@ApplicationScoped
public class GenerateReportHandler implements TaskHandler<GenerateReportPayload> {

    static final int PAGE = 1000;
    /** One page's pipelined reads; a Redis that does not answer fails the attempt, which is retried. */
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(10);

    static final List<Column> STATISTICS =
            List.of(new Column("type", false), new Column("status", false), new Column("count", true));

    private final RedisDataSource redis;
    private final SortedSetCommands<String, String> index;
    private final Artifacts artifacts;
    private final QueryRunner queries;
    private final QueryLimits limits;

    public GenerateReportHandler(RedisDataSource redis, Artifacts artifacts, QueryRunner queries, QueryLimits limits) {
        this.redis = redis;
        this.index = redis.sortedSet(String.class, String.class);
        this.artifacts = artifacts;
        this.queries = queries;
        this.limits = limits;
    }

    @Override
    public Class<GenerateReportPayload> payloadType() {
        return GenerateReportPayload.class;
    }

    @Override
    public ReportWritten handle(GenerateReportPayload payload, TaskContext context)
            throws IOException, InterruptedException {
        if (payload.query() != null) {
            return queryReport(payload, context);
        }
        Instant now = Instant.now();
        SortedMap<String, SortedMap<String, Long>> counts =
                count(now.minus(payload.window()).toEpochMilli(), now.toEpochMilli(), context);
        String title = payload.title() != null ? payload.title() : "Task outcomes over " + payload.window();
        long[] rows = {0};
        Artifacts.Written written = artifacts.write(context.taskId(), TableWriter.extension(payload.format()), out -> {
            TableWriter table = TableWriter.of(payload.format(), out, title);
            table.start(STATISTICS);
            for (Map.Entry<String, SortedMap<String, Long>> type : counts.entrySet()) {
                for (Map.Entry<String, Long> status : type.getValue().entrySet()) {
                    table.row(List.of(type.getKey(), status.getKey(), status.getValue()));
                    rows[0]++;
                }
            }
            table.end(rows[0], false);
        });
        return new ReportWritten(written.name(), payload.format(), rows[0], false);
    }

    private ReportWritten queryReport(GenerateReportPayload payload, TaskContext context) throws IOException {
        QueryDefinition query = queries.find(payload.query());
        QueryRunner.Exported exported = queries.exportTo(
                artifacts,
                context,
                payload.format(),
                payload.title() != null ? payload.title() : query.name(),
                query,
                payload.params(),
                limits.rowsFor(payload.maxRows()));
        return new ReportWritten(exported.artifact(), payload.format(), exported.rows(), exported.truncated());
    }

    /** type → status → tasks created within {@code [from, to]} (epoch ms), from the all-tasks index. */
    private SortedMap<String, SortedMap<String, Long>> count(long from, long to, TaskContext context)
            throws InterruptedException {
        SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
        double min = from;
        int skip = 0;
        long seen = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("Report interrupted (its timeout passed)");
            }
            List<ScoredValue<String>> page = index.zrangebyscoreWithScores(
                    StateKeys.index(null, null),
                    new ScoreRange<>(min, (double) to),
                    new ZRangeArgs().limit(skip, PAGE));
            tally(page, counts);
            seen += page.size();
            context.progress(seen, -1, seen + " tasks counted");
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
}

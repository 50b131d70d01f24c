package io.conveyor.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.conveyor.testsupport.LocalBroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system as a user runs it: a gateway and two workers as processes, a real SMTP server, one artifact directory
 * that the workers write and the gateway serves.
 */
class SharedQueueTest {

    @org.junit.jupiter.api.AfterAll
    static void forgetState() {
        App.forgetState();
    }

    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    /** CONVEYOR_ARTIFACT_DIR of the three apps. */
    @TempDir
    static Path artifacts;

    private static GreenMail smtp;
    private static App gateway;
    private static App workerA;
    private static App workerB;

    @BeforeAll
    static void startSystem() {
        try (LocalBroker broker = new LocalBroker().declareTopology()) {
            broker.purgeAll();
        }
        int smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> env = Map.of(
                "SMTP_HOST",
                "127.0.0.1",
                "SMTP_PORT",
                String.valueOf(smtpPort),
                "CONVEYOR_WORKER_TYPES",
                "noop,send_email,sleep,generate_report",
                "CONVEYOR_ARTIFACT_DIR",
                artifacts.toString());
        gateway = App.gateway(Map.of("CONVEYOR_ARTIFACT_DIR", artifacts.toString()));
        workerA = App.worker("shared-a", env, SucceededLog.ENABLE);
        workerB = App.worker("shared-b", env, SucceededLog.ENABLE);
        gateway.awaitReady(START);
        workerA.awaitReady(START);
        workerB.awaitReady(START);
    }

    @AfterAll
    static void stopSystem() {
        for (App app : new App[] {gateway, workerA, workerB}) {
            if (app != null) {
                app.close();
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
        try (LocalBroker broker = new LocalBroker()) {
            broker.purgeAll();
        }
    }

    @Test
    void twoWorkersShareAQueueAndEachTaskIsHandledOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(accept(gateway.postJson("/api/v1/tasks", "{\"type\":\"noop\"}")));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> handled().containsAll(ids));
        List<String> a = SucceededLog.ids(workerA);
        List<String> b = SucceededLog.ids(workerB);
        List<String> all = handled();
        assertEquals(all.size(), new HashSet<>(all).size(), "a task ran twice");
        assertTrue(
                a.stream().anyMatch(ids::contains) && b.stream().anyMatch(ids::contains),
                "both workers took tasks: a=" + a.size() + ", b=" + b.size());
    }

    @Test
    void theSeedDocumentsCurlRequestDeliversAnEmail() throws Exception {
        // The seed article's request, byte for byte.
        String id = accept(gateway.postJson(
                "/async-task", "{\"task_type\": \"send_email\", \"task_param\": \"user@example.com\"}"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> smtp.getReceivedMessagesForDomain("user@example.com").length > 0);
        MimeMessage mail = smtp.getReceivedMessagesForDomain("user@example.com")[0];
        assertEquals("Hello from Conveyor", mail.getSubject());
        assertEquals("<" + id + "@conveyor>", mail.getMessageID());
        assertTrue(GreenMailUtil.getBody(mail).contains("Conveyor background task"));
    }

    @Test
    void carriesTheRequestsTraceIdIntoTheWorkersLog() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        java.net.http.HttpResponse<String> answer = gateway.send(
                "/api/v1/tasks", "{\"type\":\"noop\"}", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
        String id = accept(answer);
        await().atMost(Duration.ofSeconds(30)).until(() -> handled().contains(id));
        String line = (workerA.log() + workerB.log())
                .lines()
                .filter(l -> l.contains(id) && l.contains("succeeded"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.contains("traceId=" + traceId), line);
    }

    @Test
    void preferWaitAnswersWithTheOutcomeOfAShortTaskAnd202ForALongerOne() {
        HttpResponse<String> quick = gateway.send(
                "/api/v1/tasks", "{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT1S\"}}", "Prefer", "wait=8");
        assertEquals(200, quick.statusCode(), quick.body());
        assertTrue(quick.body().contains("\"status\":\"SUCCEEDED\""), quick.body());
        assertEquals("wait=8", quick.headers().firstValue("Preference-Applied").orElse(null));

        HttpResponse<String> slow = gateway.send(
                "/api/v1/tasks", "{\"type\":\"sleep\",\"payload\":{\"duration\":\"PT4S\"}}", "Prefer", "wait=1");
        String id = accept(slow);
        assertEquals("wait=1", slow.headers().firstValue("Preference-Applied").orElse(null));
        // The 202 lost nothing: the task runs on and its outcome is read later.
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        gateway.get("/api/v1/tasks/" + id + "?wait=PT5S").body().contains("\"status\":\"SUCCEEDED\""));
    }

    @Test
    void aReportAWorkerWroteIsDownloadedFromTheGateway() throws Exception {
        String id = accept(
                gateway.postJson("/api/v1/tasks", "{\"type\":\"generate_report\",\"payload\":{\"window\":\"PT1H\"}}"));
        String url = "/api/v1/tasks/" + id + "/artifact";
        await().atMost(Duration.ofSeconds(30))
                .until(() -> gateway.get("/api/v1/tasks/" + id).body().contains("\"status\":\"SUCCEEDED\""));
        String view = gateway.get("/api/v1/tasks/" + id).body();
        assertTrue(view.contains("\"artifactUrl\":\"" + url + "\""), view);
        HttpResponse<String> file = gateway.get(url);
        assertEquals(200, file.statusCode(), file.body());
        assertTrue(
                file.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .toLowerCase()
                        .startsWith("text/csv"),
                file.headers().toString());
        assertEquals(
                "attachment; filename=\"" + id + ".csv\"",
                file.headers().firstValue("Content-Disposition").orElse(""));
        assertTrue(file.body().startsWith("type,status,count\r\n"), file.body());
        assertEquals(Files.readString(artifacts.resolve(id + ".csv")), file.body());
    }

    private static List<String> handled() {
        List<String> all = new ArrayList<>(SucceededLog.ids(workerA));
        all.addAll(SucceededLog.ids(workerB));
        return all;
    }

    private static String accept(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response.body());
        Matcher m = ID.matcher(response.body());
        assertTrue(m.find(), response.body());
        return m.group(1);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

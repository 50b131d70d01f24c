package io.conveyor.worker.handler.sendemail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.util.GreenMail;
import com.rabbitmq.client.GetResponse;

import io.conveyor.model.Headers;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.conveyor.model.result.EmailSent;
import io.conveyor.model.state.StateKeys;
import io.conveyor.testsupport.LocalBroker;
import io.conveyor.testsupport.LocalServices;
import io.conveyor.worker.OutcomeRecorder;
import io.conveyor.worker.SmtpServer;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.conveyor.testsupport.TaskMessageBuilder.aTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * send_email against a real SMTP server (GreenMail): templates rendered with their model (escaped in HTML), text
 * alternatives, Reply-To, attachments inline and from the artifact store, and the failures that are permanent. The
 * templates are src/test/resources/email-templates; the attachment cap is 64 KiB here.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class SendEmailTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @SmtpServer.InjectSmtp
    GreenMail smtp;

    @Inject
    OutcomeRecorder outcomes;

    @ConfigProperty(name = "conveyor-handlers.artifact-dir")
    Path artifactDir;

    private final List<Path> files = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        services.track(outcomes.taskIds());
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void rendersATemplateWithItsModelEscapedInHtmlAsTextAndHtmlWithReplyTo() throws Exception {
        String to = recipient();
        String id = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','template':'receipt','replyTo':'support@example.com','model':{"
                        + "'customer':'<script>alert(1)</script>','items':[{'name':'Tea & cake','price':'4.50'},"
                        + "{'name':'Jam','price':2}]}}"))
                .publishTo(services.broker());

        EmailSent sent = succeeded(id);
        MimeMessage mail = received(to);

        assertEquals("<" + id + "@conveyor>", sent.messageId());
        assertEquals(sent.messageId(), mail.getMessageID());
        assertEquals("Your receipt, <script>alert(1)</script>", mail.getSubject(), "a subject is text, not HTML");
        assertEquals("support@example.com", mail.getReplyTo()[0].toString());
        Part alternative = find(mail, "multipart/alternative");
        List<Part> parts = children(alternative);
        assertEquals(2, parts.size(), "a text part and an HTML part");
        assertTrue(parts.get(0).isMimeType("text/plain"), parts.get(0).getContentType());
        assertTrue(parts.get(1).isMimeType("text/html"), parts.get(1).getContentType());
        String text = (String) parts.get(0).getContent();
        String html = (String) parts.get(1).getContent();
        assertTrue(html.contains("<h1>Receipt for &lt;script&gt;alert(1)&lt;/script&gt;</h1>"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<li>Tea &amp; cake: 4.50</li>"), html);
        assertTrue(html.contains("<li>Jam: 2</li>"), html);
        assertTrue(text.contains("Receipt for <script>alert(1)</script>"), "the .txt template, unescaped: " + text);
        assertTrue(text.contains("- Tea & cake: 4.50"), text);
    }

    @Test
    void theBuiltInWelcomeTemplateGivesItsSubject() throws Exception {
        String to = recipient();
        String id = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','template':'welcome','model':{'name':'Ada'}}"))
                .publishTo(services.broker());

        succeeded(id);
        MimeMessage mail = received(to);

        assertEquals("Welcome to Conveyor, Ada", mail.getSubject());
        List<Part> parts = children(find(mail, "multipart/alternative"));
        String text = (String) parts.get(0).getContent();
        assertTrue(text.startsWith("Hello Ada,"), text);
        assertFalse(text.contains("Sign in"), "no link in the model, no sign-in line: " + text);
    }

    @Test
    void anHtmlBodyGetsADerivedTextPartAndCarriesInlineAndArtifactAttachmentsIntact() throws Exception {
        String to = recipient();
        byte[] inline = randomBytes(3000);
        byte[] stored = randomBytes(20_000);
        String artifact = artifact("bin", stored, "SUCCEEDED", null);
        String id = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','subject':'Files','html':true,"
                        + "'body':'<p>Your <b>files</b> &amp; more</p><p>See <a href=\\\"https://example.com/f\\\">them</a></p>',"
                        + "'attachments':[{'filename':'notes.pdf','content':'"
                        + Base64.getEncoder().encodeToString(inline) + "'},"
                        + "{'filename':'data.bin','contentType':'application/x-conveyor','artifact':'" + artifact
                        + "'}]}"))
                .publishTo(services.broker());

        succeeded(id);
        MimeMessage mail = received(to);

        assertTrue(mail.isMimeType("multipart/mixed"), mail.getContentType());
        List<Part> parts = children(find(mail, "multipart/alternative"));
        assertEquals("Your files & more\n\nSee them (https://example.com/f)", lines(parts.get(0)));
        assertTrue(((String) parts.get(1).getContent()).contains("<b>files</b>"));
        Part notes = attachment(mail, "notes.pdf");
        Part data = attachment(mail, "data.bin");
        assertTrue(notes.isMimeType("application/pdf"), "guessed from the name: " + notes.getContentType());
        assertTrue(data.isMimeType("application/x-conveyor"), data.getContentType());
        assertArrayEquals(inline, notes.getInputStream().readAllBytes());
        assertArrayEquals(stored, data.getInputStream().readAllBytes());
    }

    @Test
    void anHtmlTemplateWithoutTextFileGetsItsTextDerivedAndThePayloadSubject() throws Exception {
        String to = recipient();
        String id = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','subject':'Notice','template':'notice','model':{'name':'Bo'}}"))
                .publishTo(services.broker());

        succeeded(id);
        MimeMessage mail = received(to);

        assertEquals("Notice", mail.getSubject());
        List<Part> parts = children(find(mail, "multipart/alternative"));
        assertEquals(
                "Dear Bo,\n\nsee the notice (https://example.com/n).", lines(parts.get(0)), "the style is dropped");
    }

    @Test
    void aTextOnlyTemplateIsSentAsPlainTextWithCopies() throws Exception {
        String to = recipient();
        String cc = recipient();
        String id = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','cc':['" + cc + "'],'template':'reminder',"
                        + "'model':{'what':'<the meeting>'}}"))
                .publishTo(services.broker());

        succeeded(id);
        // One message delivered to each envelope recipient; both name to and cc in their headers.
        MimeMessage mail = received(to, 2);

        assertEquals("Reminder: <the meeting>", mail.getSubject());
        assertTrue(mail.isMimeType("text/plain"), mail.getContentType());
        assertEquals("Do not forget <the meeting>.", lines(mail));
        assertEquals(cc, mail.getRecipients(Message.RecipientType.CC)[0].toString());
    }

    @Test
    void anUnknownTemplateFailsForGoodSayingWhere() {
        String message = deadMessage("{'to':'" + recipient() + "','template':'nope'}");

        assertTrue(message.contains("No email template 'nope'"), message);
        assertTrue(message.contains("CONVEYOR_EMAIL_TEMPLATES"), message);
    }

    @Test
    void aModelWithoutAValueTheTemplateUsesFailsForGoodNamingIt() {
        String to = recipient();
        String message = deadMessage("{'to':'" + to + "','template':'receipt','model':{'customer':'Ada'}}");

        assertTrue(message.contains("cannot be rendered with this model"), message);
        assertTrue(message.contains("items"), message);
        assertEquals(0, smtp.getReceivedMessagesForDomain(to).length, "nothing was sent");
    }

    @Test
    void aTemplateWithoutSubjectNeedsOneInThePayload() {
        String message = deadMessage("{'to':'" + recipient() + "','template':'notice','model':{'name':'Bo'}}");

        assertTrue(message.contains("has no subject"), message);
    }

    @Test
    void anArtifactOfNoKnownTaskFailsForGood() {
        String message = deadMessage("{'to':'" + recipient() + "','subject':'s','body':'b',"
                + "'attachments':[{'filename':'r.csv','artifact':'" + UUID.randomUUID() + ".csv'}]}");

        assertTrue(message.contains("'r.csv'"), message);
        assertTrue(message.contains("is not from a task of this email's client"), message);
    }

    @Test
    void anotherClientsArtifactIsNotAttachedThoughItExists() throws IOException {
        String artifact = artifact("csv", "secret".getBytes(), "SUCCEEDED", "someone-else");

        String message = deadMessage("{'to':'" + recipient() + "','subject':'s','body':'b',"
                + "'attachments':[{'filename':'r.csv','artifact':'" + artifact + "'}]}");

        assertTrue(message.contains("is not from a task of this email's client"), message);
    }

    @Test
    void anArtifactOfTheEmailsOwnClientIsAttached() throws Exception {
        String to = recipient();
        byte[] bytes = randomBytes(100);
        String artifact = artifact("csv", bytes, "SUCCEEDED", "acme");
        var task = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','subject':'s','body':'b',"
                        + "'attachments':[{'filename':'r.csv','artifact':'" + artifact + "'}]}"));
        // The record the gateway writes when client acme submits the email.
        seed(task.id(), "QUEUED", "acme");
        task.publishTo(services.broker());

        succeeded(task.id());

        assertArrayEquals(
                bytes, attachment(received(to), "r.csv").getInputStream().readAllBytes());
    }

    @Test
    void anArtifactNotWrittenYetIsWaitedForWhileItsTaskRuns() throws Exception {
        String to = recipient();
        String producer = UUID.randomUUID().toString();
        seed(producer, "RUNNING", null);
        String id = aTask().ofType("send_email")
                .withPayload(json("{'to':'" + to + "','subject':'s','body':'b',"
                        + "'attachments':[{'filename':'r.csv','artifact':'" + producer + ".csv'}]}"))
                .publishTo(services.broker());

        TaskOutcome retry = outcomes.await(id, TaskStatus.RETRY_SCHEDULED, WAIT).get(0);
        assertTrue(
                retry.error().getMessage().contains("is not written yet, task '" + producer + "' is RUNNING"),
                retry.error().getMessage());
        byte[] bytes = randomBytes(500);
        write(producer + ".csv", bytes);
        seed(producer, "SUCCEEDED", null);

        succeeded(id);

        assertArrayEquals(
                bytes, attachment(received(to), "r.csv").getInputStream().readAllBytes());
    }

    @Test
    void anArtifactItsTaskDidNotWriteFailsForGood() {
        String producer = UUID.randomUUID().toString();
        seed(producer, "DEAD", null);

        String message = deadMessage("{'to':'" + recipient() + "','subject':'s','body':'b',"
                + "'attachments':[{'filename':'r.csv','artifact':'" + producer + ".csv'}]}");

        assertTrue(
                message.contains(
                        "no artifact '" + producer + ".csv' in the store, and task '" + producer + "' is DEAD"),
                message);
    }

    @Test
    void attachmentsOverTheCapFailForGood() throws IOException {
        String artifact = artifact("bin", randomBytes(60 * 1024), "SUCCEEDED", null);
        String inline = Base64.getEncoder().encodeToString(randomBytes(5 * 1024));

        String message = deadMessage("{'to':'" + recipient() + "','subject':'s','body':'b','attachments':["
                + "{'filename':'a.bin','content':'" + inline + "'},{'filename':'b.bin','artifact':'" + artifact
                + "'}]}");

        assertTrue(message.contains("'b.bin'"), message);
        assertTrue(message.contains(String.valueOf(64 * 1024)), message);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** A text part's content with SMTP's CRLF line ends as LF, stripped. */
    private static String lines(Part part) throws MessagingException, IOException {
        return ((String) part.getContent()).replace("\r\n", "\n").strip();
    }

    private static String recipient() {
        return "mail-" + UUID.randomUUID() + "@example.com";
    }

    private static String json(String quoted) {
        return quoted.replace('\'', '"');
    }

    private EmailSent succeeded(String id) {
        List<TaskOutcome> history = outcomes.await(id, TaskStatus.SUCCEEDED, WAIT);
        return (EmailSent) history.get(history.size() - 1).result();
    }

    /** The task goes to the dead letters on its first attempt, non-retryable; its error message. */
    private static String deadMessage(String payload) {
        var task = aTask().ofType("send_email").withPayload(json(payload));
        services.track(task.id());
        task.publishTo(services.broker());
        GetResponse dead = services.broker().takeById(Topology.DEAD_QUEUE, task.id(), WAIT);
        assertEquals("non-retryable", LocalBroker.header(dead, Headers.DEAD_REASON));
        assertEquals("1", LocalBroker.header(dead, Headers.ATTEMPT));
        return LocalBroker.header(dead, Headers.ERROR_MESSAGE);
    }

    private MimeMessage received(String to) {
        return received(to, 1);
    }

    /** The first of exactly {@code copies} messages that name {@code to}. */
    private MimeMessage received(String to, int copies) {
        await().atMost(WAIT).until(() -> smtp.getReceivedMessagesForDomain(to).length == copies);
        return smtp.getReceivedMessagesForDomain(to)[0];
    }

    /** An artifact as task {@code <id>} of {@code client} in {@code status} left it; returns its name. */
    private String artifact(String extension, byte[] bytes, String status, String client) throws IOException {
        String producer = UUID.randomUUID().toString();
        seed(producer, status, client);
        write(producer + "." + extension, bytes);
        return producer + "." + extension;
    }

    /** A task record as the gateway writes it (client only when given), or its status changed. */
    private static void seed(String id, String status, String client) {
        services.track(id);
        List<String> command = new ArrayList<>(List.of(
                "HSET",
                StateKeys.task(id),
                "id",
                id,
                "type",
                "send_email",
                "status",
                status,
                "attempts",
                "0",
                "maxAttempts",
                "5",
                "createdAt",
                String.valueOf(System.currentTimeMillis())));
        if (client != null) {
            command.addAll(List.of("client", client));
        }
        services.redis().call(command.toArray(String[]::new));
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.createDirectories(artifactDir);
        Path file = artifactDir.resolve(name);
        files.add(file);
        Files.write(file, bytes);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    /** The first part, depth first, of this MIME type. */
    private static Part find(Part part, String mimeType) throws MessagingException, IOException {
        if (part.isMimeType(mimeType)) {
            return part;
        }
        if (part.isMimeType("multipart/*")) {
            for (Part child : children(part)) {
                Part found = find(child, mimeType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Part attachment(Part part, String filename) throws MessagingException, IOException {
        if (filename.equals(part.getFileName())) {
            return part;
        }
        if (part.isMimeType("multipart/*")) {
            for (Part child : children(part)) {
                Part found = attachment(child, filename);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static List<Part> children(Part part) throws MessagingException, IOException {
        assertTrue(part != null && part.isMimeType("multipart/*"), "a multipart");
        Multipart multipart = (Multipart) part.getContent();
        List<Part> children = new ArrayList<>();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart child = multipart.getBodyPart(i);
            children.add(child);
        }
        return children;
    }
}

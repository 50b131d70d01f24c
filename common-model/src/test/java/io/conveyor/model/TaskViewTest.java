package io.conveyor.model;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.conveyor.model.result.EmailSent;
import io.conveyor.model.result.ImageResized;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TaskViewTest {

    private static TaskView view(String type, String result) throws Exception {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new TaskView(
                "t1",
                type,
                TaskStatus.SUCCEEDED,
                1,
                5,
                result == null ? null : Json.mapper().readTree(result),
                null,
                at,
                at,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void readsTheResultAsItsTypesRecord() throws Exception {
        assertEquals(
                new EmailSent("<t1@conveyor>"),
                view("send_email", "{\"messageId\":\"<t1@conveyor>\"}").resultAs(EmailSent.class));
        assertNull(view("send_email", null).resultAs(EmailSent.class));
    }

    @Test
    void aResultOfAnotherShapeIsRefusedNamingTheTask() throws Exception {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> view("send_email", "{\"messageId\":\"x\"}").resultAs(ImageResized.class));
        assertEquals("The result of task t1 (send_email) does not read as ImageResized", e.getMessage());
    }
}

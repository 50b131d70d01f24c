package io.conveyor.model.state;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.conveyor.model.TaskProgress;
import io.conveyor.model.TaskView;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TaskRecordsTest {

    private static final String ID = "3f2a6c1e-0b7d-4c55-9a41-0f0c1b2d3e4f";

    @Test
    void linksTheArtifactAResultNames() {
        TaskView view = view("{\"artifact\":\"" + ID + ".png\",\"bytes\":12}");
        assertEquals("/api/v1/tasks/" + ID + "/artifact", view.artifactUrl());
        assertEquals(ID + ".png", TaskRecords.artifactName(view.result()));
    }

    @Test
    void linksNothingWithoutAServableArtifact() {
        assertNull(view(null).artifactUrl());
        assertNull(view("{\"ok\":true}").artifactUrl());
        assertNull(view("{\"artifact\":42}").artifactUrl());
        assertNull(view("{\"artifact\":\"../x\"}").artifactUrl());
        assertNull(view("\"not json").artifactUrl());
    }

    @Test
    void readsTheProgressFieldsAndNullWithoutThem() {
        Map<String, String> hash = new HashMap<>(
                Map.of("id", ID, "type", "sleep", "status", "RUNNING", "createdAt", "1", "updatedAt", "2"));
        assertNull(TaskRecords.view(hash, Instant.now()).progress());
        hash.putAll(Map.of(
                "progressDone",
                "3",
                "progressTotal",
                "10",
                "progressMessage",
                "slept 3 of 10 s",
                "progressAt",
                "5000"));
        assertEquals(
                new TaskProgress(3, 10L, "slept 3 of 10 s", Instant.ofEpochMilli(5000)),
                TaskRecords.view(hash, Instant.now()).progress());
        hash.putAll(Map.of("progressTotal", "", "progressMessage", ""));
        assertEquals(
                new TaskProgress(3, null, null, Instant.ofEpochMilli(5000)),
                TaskRecords.view(hash, Instant.now()).progress());
        hash.put("progressDone", "x");
        assertNull(TaskRecords.view(hash, Instant.now()).progress(), "a field that does not read shows no progress");
    }

    @Test
    void progressArgumentsMarkAnUnknownTotalAndCutTheMessage() {
        Instant at = Instant.ofEpochMilli(7);
        assertEquals(List.of("2", "5", "9", "m", "7"), TaskRecords.progressArguments(2, 5, 9, "m", at));
        assertEquals(List.of("1", "0", "", "", "7"), TaskRecords.progressArguments(1, -4, -1, null, at));
        String longMessage = "x".repeat(TaskProgress.MAX_MESSAGE + 50);
        assertEquals(
                TaskProgress.MAX_MESSAGE,
                TaskRecords.progressArguments(1, 0, 0, longMessage, at).get(3).length());
        // Never half a surrogate pair: an emoji across the limit is left out whole.
        String emoji = "x".repeat(TaskProgress.MAX_MESSAGE - 1) + "\uD83D\uDE00";
        assertEquals("x".repeat(TaskProgress.MAX_MESSAGE - 1), TaskRecords.cut(emoji, TaskProgress.MAX_MESSAGE));
    }

    private static TaskView view(String result) {
        Map<String, String> hash = new HashMap<>(
                Map.of("id", ID, "type", "resize_image", "status", "SUCCEEDED", "createdAt", "1", "updatedAt", "2"));
        if (result != null) {
            hash.put("result", result);
        }
        return TaskRecords.view(hash, Instant.now());
    }
}

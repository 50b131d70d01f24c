package io.conveyor.model.state;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

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

    private static TaskView view(String result) {
        Map<String, String> hash = new HashMap<>(
                Map.of("id", ID, "type", "resize_image", "status", "SUCCEEDED", "createdAt", "1", "updatedAt", "2"));
        if (result != null) {
            hash.put("result", result);
        }
        return TaskRecords.view(hash, Instant.now());
    }
}

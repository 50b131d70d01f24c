package io.conveyor.model.result;

/** {@code generate_report}: the report, stored as the task's artifact, and its number of data rows. */
public record ReportWritten(String artifact, int rows) {}

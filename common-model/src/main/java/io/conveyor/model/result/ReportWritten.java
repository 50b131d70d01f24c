package io.conveyor.model.result;

/**
 * {@code generate_report}: the report, stored as the task's artifact.
 *
 * @param artifact  the file's name ({@code <taskId>.csv}, {@code .json} or {@code .html})
 * @param format    {@code csv}, {@code json} or {@code html}
 * @param rows      data rows (a CSV header not counted)
 * @param truncated true when a query had more rows than the limit and only the first {@code rows} are in the report
 */
public record ReportWritten(String artifact, String format, long rows, boolean truncated) {}

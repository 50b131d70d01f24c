package io.conveyor.cli;

/** How results are printed on standard output. */
public enum Output {
    /** For people: a key-value layout for one item, a table for several. */
    TABLE,
    /** For scripts: the JSON the API answers, pretty-printed. */
    JSON
}

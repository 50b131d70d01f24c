package io.conveyor.gateway.rest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteRangesTest {

    private static final ByteRanges WHOLE = new ByteRanges.Whole();
    private static final ByteRanges UNSATISFIABLE = new ByteRanges.Unsatisfiable();

    @Test
    void readsTheThreeFormsOfOneRange() {
        assertEquals(new ByteRanges.Part(2, 5), ByteRanges.of("bytes=2-5", 10));
        assertEquals(new ByteRanges.Part(7, 9), ByteRanges.of("bytes=7-", 10));
        assertEquals(new ByteRanges.Part(6, 9), ByteRanges.of("bytes=-4", 10));
        assertEquals(new ByteRanges.Part(0, 0), ByteRanges.of(" Bytes = 0 - 0 ", 10));
    }

    @Test
    void clampsARangeThatRunsPastTheEnd() {
        assertEquals(new ByteRanges.Part(8, 9), ByteRanges.of("bytes=8-100", 10));
        assertEquals(new ByteRanges.Part(0, 9), ByteRanges.of("bytes=-100", 10));
        assertEquals(new ByteRanges.Part(3, 9), ByteRanges.of("bytes=3-99999999999999999999999", 10));
    }

    @Test
    void aRangeOfNothingTheFileHasIsUnsatisfiable() {
        assertEquals(UNSATISFIABLE, ByteRanges.of("bytes=10-", 10));
        assertEquals(UNSATISFIABLE, ByteRanges.of("bytes=10-20", 10));
        assertEquals(UNSATISFIABLE, ByteRanges.of("bytes=-0", 10));
        assertEquals(UNSATISFIABLE, ByteRanges.of("bytes=0-", 0));
        assertEquals(UNSATISFIABLE, ByteRanges.of("bytes=-5", 0));
        assertEquals(UNSATISFIABLE, ByteRanges.of("bytes=99999999999999999999999-", 10));
    }

    @Test
    void ignoresWhatItDoesNotServe() {
        assertEquals(WHOLE, ByteRanges.of(null, 10));
        assertEquals(WHOLE, ByteRanges.of("", 10));
        assertEquals(WHOLE, ByteRanges.of("bytes=0-1,4-5", 10));
        assertEquals(WHOLE, ByteRanges.of("bytes=5-2", 10));
        assertEquals(WHOLE, ByteRanges.of("bytes=-", 10));
        assertEquals(WHOLE, ByteRanges.of("bytes=a-b", 10));
        assertEquals(WHOLE, ByteRanges.of("items=0-1", 10));
        assertEquals(WHOLE, ByteRanges.of("bytes 0-1", 10));
    }

    @Test
    void describesAPart() {
        ByteRanges.Part part = new ByteRanges.Part(2, 5);
        assertEquals(4, part.length());
        assertEquals("bytes 2-5/10", part.contentRange(10));
    }
}

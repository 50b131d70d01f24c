package io.conveyor.worker.handler.fetch;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.MemorySizeConverter;

/** Reads a size such as {@code 20M} (Quarkus's memory-size syntax, powers of 1024) as a number of bytes. */
public class ByteSizeConverter implements Converter<Long> {

    private static final MemorySizeConverter SIZES = new MemorySizeConverter();

    @Override
    public Long convert(String value) {
        return SIZES.convert(value).asLongValue();
    }
}

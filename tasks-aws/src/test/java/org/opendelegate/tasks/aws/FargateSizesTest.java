package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CPU/memory combinations Fargate runs, which a deployment's Prepare step checks. */
class FargateSizesTest {

    @Test
    void eachCpuTakesItsMemoryRangeInItsSteps() {
        assertThat(FargateSizes.valid("256", "512")).isTrue();
        assertThat(FargateSizes.valid("256", "2048")).isTrue();
        assertThat(FargateSizes.valid("256", "4096")).isFalse();
        assertThat(FargateSizes.valid("1024", "3072")).isTrue();
        assertThat(FargateSizes.valid("1024", "1024")).isFalse();
        assertThat(FargateSizes.valid("8192", "20480")).isTrue();
        assertThat(FargateSizes.valid("8192", "17408"))
                .as("8 vCPU goes in 4 GiB steps")
                .isFalse();
        assertThat(FargateSizes.valid("1 vCPU", "2 GB")).isTrue();
        assertThat(FargateSizes.valid("300", "1024")).isFalse();
        assertThat(FargateSizes.valid(null, "1024")).isFalse();
    }

    @Test
    void theAdviceSaysWhatTheCpuTakes() {
        assertThat(FargateSizes.allowed("256")).isEqualTo("cpu 256 takes memory 512, 1024 or 2048");
        assertThat(FargateSizes.allowed("1024")).isEqualTo("cpu 1024 takes memory from 2048 to 8192 in steps of 1024");
        assertThat(FargateSizes.allowed(null)).startsWith("Fargate needs a task-level cpu of 256, 512, 1024");
    }
}

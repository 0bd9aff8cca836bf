package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A caller left waiting for ever (CompletableFuture.join ignores interrupts) fails, instead of hanging the build.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupCommitTest {
    @Test
    void concurrentWritesShareBatchesAndEachCallerGetsItsOwnResult() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        try (GroupCommit<Integer, Integer> commit = new GroupCommit<>(
                "test",
                64,
                batch -> {
                    batchSizes.add(batch.size());
                    sleep(5); // a commit takes a moment; writes arriving meanwhile wait for the next one
                    return batch.stream().map(i -> i * 2).toList();
                },
                i -> i * 2)) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                results.add(pool.submit(() -> commit.submit(n)));
            }
            for (int i = 0; i < 500; i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i * 2);
            }
            pool.shutdown();
        }
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(batchSizes.size()).as("commits for 500 writes").isLessThan(250);
    }

    @Test
    void aWriteThatSpoilsItsBatchFailsOnlyItsOwnCaller() throws Exception {
        try (GroupCommit<String, String> commit = new GroupCommit<>(
                "test",
                64,
                batch -> {
                    if (batch.contains("bad")) {
                        throw new IllegalArgumentException("batch refused");
                    }
                    return batch;
                },
                item -> {
                    if (item.equals("bad")) {
                        throw new IllegalArgumentException("bad is refused");
                    }
                    return item;
                })) {
            assertThat(commit.submit("good")).isEqualTo("good");
            assertThatThrownBy(() -> commit.submit("bad")).hasMessage("bad is refused");
            assertThat(commit.submit("fine")).isEqualTo("fine");
        }
    }

    @Test
    void aCommitThatDiesFailsItsWritesAndTheWriterStoresTheNextOnes() {
        AtomicBoolean die = new AtomicBoolean(true);
        try (GroupCommit<String, String> commit = new GroupCommit<>(
                "test",
                8,
                batch -> {
                    if (die.getAndSet(false)) {
                        throw new StackOverflowError("deep");
                    }
                    return batch;
                },
                item -> item)) {
            assertThatThrownBy(() -> commit.submit("doomed"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the store failed")
                    .hasMessageContaining("deep");
            assertThat(commit.submit("next")).isEqualTo("next");
        }
    }

    @Test
    void afterCloseWritesAreRefusedAsTheManagerStopping() {
        GroupCommit<String, String> commit = new GroupCommit<>("test", 8, batch -> batch, item -> item);
        assertThat(commit.submit("before")).isEqualTo("before");
        commit.close();
        assertThatThrownBy(() -> commit.submit("after"))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("stopping");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

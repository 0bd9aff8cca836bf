package org.opendelegate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.opendelegate.e2e.support.Api;

/**
 * What the chaos run left behind, counted from the Manager after the fact: every figure the report prints
 * is computed here, from the answers of the API for each submitted task and from the store's own counts.
 *
 * @param requested submissions the test made
 * @param acknowledged submissions the Manager answered with a task id
 * @param byState tasks by state, from each task's own view
 * @param storeByState tasks by state as the store counts them (the Manager's metrics)
 * @param attempts attempts over all tasks
 * @param reroutes attempts after a task's first one
 * @param lost submissions never acknowledged, acknowledged tasks the Manager no longer knows, and tasks
 *     that never reached a terminal state
 * @param appliedTwice tasks with more than one delegate-reported end among their attempts
 * @param wrongEnd tasks whose state or result does not match their one reported end
 * @param examples a few of the tasks behind a non-zero lost, appliedTwice or wrongEnd, to start looking
 */
record ChaosTally(
        int requested,
        int acknowledged,
        Map<String, Integer> byState,
        Map<String, Long> storeByState,
        int attempts,
        int reroutes,
        int lost,
        int appliedTwice,
        int wrongEnd,
        List<String> examples) {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "NOT_ASSIGNED");
    private static final Set<String> REPORTED_ENDS = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    /**
     * @param submitted task id to the payload it was submitted with
     * @param storeByState the store's counts by state
     */
    static ChaosTally count(Api api, int requested, Map<String, JsonNode> submitted, Map<String, Long> storeByState) {
        Map<String, Integer> byState = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        int attempts = 0;
        int reroutes = 0;
        int lost = requested - submitted.size();
        int appliedTwice = 0;
        int wrongEnd = 0;
        for (Map.Entry<String, JsonNode> e : submitted.entrySet()) {
            Api.Response answer = api.get("/api/v1/tasks/" + e.getKey());
            if (answer.status() == 404) {
                lost++;
                note(examples, e.getKey() + " is unknown to the Manager");
                continue;
            }
            JsonNode task = answer.json();
            String state = task.get("state").asText();
            byState.merge(state, 1, Integer::sum);
            attempts += task.get("attempts").size();
            reroutes += Math.max(0, task.get("attempts").size() - 1);
            List<String> ends = reportedEnds(task);
            if (!TERMINAL.contains(state)) {
                lost++;
                note(examples, e.getKey() + " is still " + state);
            } else if (ends.size() > 1) {
                appliedTwice++;
                note(examples, e.getKey() + " was ended " + ends.size() + " times: " + ends);
            } else if (!endMatches(task, ends, e.getValue())) {
                wrongEnd++;
                note(examples, e.getKey() + " is " + state + " after the reported ends " + ends + ": " + task);
            }
        }
        return new ChaosTally(
                requested,
                submitted.size(),
                byState,
                new TreeMap<>(storeByState),
                attempts,
                reroutes,
                lost,
                appliedTwice,
                wrongEnd,
                examples);
    }

    /** The figures, one line, as the report prints them. */
    String line(int delegates, int delegateKills, int managerRestarts) {
        return "chaos: tasks=" + requested + " acknowledged=" + acknowledged + " delegates=" + delegates
                + " delegateKills=" + delegateKills + " managerRestarts=" + managerRestarts + " attempts=" + attempts
                + " reroutes=" + reroutes + " byState=" + byState + " storeByState=" + storeByState + " lost=" + lost
                + " appliedTwice=" + appliedTwice + " wrongEnd=" + wrongEnd;
    }

    /** Tasks the store holds in all: more than were acknowledged means a submission was stored twice. */
    long storeTotal() {
        return storeByState.values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<String> reportedEnds(JsonNode task) {
        List<String> ends = new ArrayList<>();
        for (JsonNode attempt : task.get("attempts")) {
            String outcome = attempt.path("outcome").asText("");
            if (REPORTED_ENDS.contains(outcome)) {
                ends.add(outcome);
            }
        }
        return ends;
    }

    /** A success has exactly its one reported success (and an echo its payload back); other ends at most one. */
    private static boolean endMatches(JsonNode task, List<String> ends, JsonNode payload) {
        if (!task.get("state").asText().equals("SUCCEEDED")) {
            return true;
        }
        return ends.equals(List.of("SUCCEEDED"))
                && (!task.get("type").asText().equals("echo") || payload.equals(task.get("result")));
    }

    private static void note(List<String> examples, String example) {
        if (examples.size() < 5) {
            examples.add(example);
        }
    }
}

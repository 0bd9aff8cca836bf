package org.opendelegate.tasks.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Small EC2 helpers shared by the VPC lookups. */
final class Ec2Tags {
    /** EC2's largest page for the Describe calls the lookups make. */
    static final int PAGE = 1000;

    private Ec2Tags() {}

    /** The value of the {@code Name} tag, or null. */
    static String name(List<Tag> tags) {
        if (tags == null) {
            return null;
        }
        return tags.stream()
                .filter(t -> "Name".equals(t.key()))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
    }

    static Filter vpc(String vpcId) {
        return Filter.builder().name("vpc-id").values(vpcId).build();
    }
}

-- Registration by AWS IAM identity (issue 11). A group lists the AWS identities (ARN patterns) whose
-- presigned sts:GetCallerIdentity requests may register delegates into it. Kept beside the group row, not
-- in it: a group without a row here trusts no AWS identity.
CREATE TABLE delegate_group_trusted_identities (
    group_id    VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES delegate_group (id) ON DELETE CASCADE,
    account_id  VARCHAR(64)   NOT NULL REFERENCES account (id),
    identities  VARCHAR(4000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The id of this Manager deployment, made at first start and shared by every replica on the store. A
-- delegate signs it into its IAM proof (MANAGER_ID), so a proof made for one Manager is refused by another.
CREATE TABLE manager_identity (
    id          INTEGER      NOT NULL PRIMARY KEY,
    manager_id  VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

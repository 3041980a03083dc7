"""Review of plan versions (journey step 7): completeness checks, comments, approval
with four eyes, the lock on approved versions, comparison, history and notifications."""

#!/bin/sh
# Task command of the viewer test workflow: declines "bad" items, is busy for "busy" items,
# and echoes every other input.
in=$(cat)
case "$in" in
  *bad*) echo '{"Error":"Card.Declined","Cause":"the card was declined"}' >&2; exit 1 ;;
  *busy*) echo '{"Error":"Card.Busy","Cause":"try again later"}' >&2; exit 1 ;;
esac
printf '%s\n' "$in"

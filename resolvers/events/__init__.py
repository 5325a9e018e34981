"""Events (meetups): scheduling, RSVPs with a waitlist, and check-in."""

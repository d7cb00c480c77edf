import { ParleyError } from '@parley/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionState } from '../src/server/sessions.js';

/** A session's state with a message in DATA, its deadline watched. */
function inData(state: SessionState, late: (state: SessionState) => void): void {
  state.busy++;
  state.watchData(1000, late);
}

describe('the deadline of a message in DATA', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('cuts a message still in flight when its deadline passes', () => {
    const state = new SessionState();
    const late = vi.fn();
    inData(state, late);
    vi.advanceTimersByTime(999);
    expect(late).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(late).toHaveBeenCalledWith(state);
  });

  it('leaves a session alone whose message was answered in time', () => {
    const state = new SessionState();
    const late = vi.fn();
    inData(state, late);
    vi.advanceTimersByTime(500);
    state.busy--;
    vi.advanceTimersByTime(2000);
    expect(late).not.toHaveBeenCalled();
  });

  it('gives each message of a session its own deadline, from its own DATA', () => {
    const state = new SessionState();
    const late = vi.fn();
    inData(state, late);
    vi.advanceTimersByTime(600);
    state.busy--;
    inData(state, late);
    vi.advanceTimersByTime(600);
    expect(late).not.toHaveBeenCalled();
    vi.advanceTimersByTime(400);
    expect(late).toHaveBeenCalledTimes(1);
    // A message after one that was cut gets its deadline too.
    state.busy--;
    inData(state, late);
    vi.advanceTimersByTime(1000);
    expect(late).toHaveBeenCalledTimes(2);
  });

  it('stops watching when the session ends', () => {
    const state = new SessionState();
    const late = vi.fn();
    inData(state, late);
    state.end(new ParleyError('cancelled', 'The SMTP connection closed'));
    vi.advanceTimersByTime(2000);
    expect(late).not.toHaveBeenCalled();
  });
});

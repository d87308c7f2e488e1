import { describe, expect, it } from 'vitest';
import {
  choicePrompt,
  describePair,
  multiSelectPrompt,
  phraseQuestionPrompt,
  yesNoPrompt,
} from './build-prompt.js';

const pair = {
  objectLabel: 'sports_ball',
  subjectCoordinates: [10, 20, 110, 220],
  objectCoordinates: [150, 40, 180, 70],
  coordinateNote: 'Coordinates are (x1, y1, x2, y2) in pixels of the image.',
};

describe('prompts', () => {
  it('choice prompt lists labelled options and asks for one label', () => {
    expect(
      choicePrompt(
        pair,
        [
          { label: 'A', phrase: 'kicking a sports ball' },
          { label: 'B', phrase: 'none of these' },
        ],
        'letters',
      ),
    ).toBe(
      [
        'The person is at (10, 20, 110, 220). The sports ball is at (150, 40, 180, 70). Coordinates are (x1, y1, x2, y2) in pixels of the image.',
        'Which interaction between the person and the sports ball does the image show? Options:',
        'A. kicking a sports ball',
        'B. none of these',
        'Answer with the letter of the best option only.',
      ].join('\n'),
    );
  });

  it('names human-human pairs and drawn boxes, without coordinates', () => {
    expect(describePair({ objectLabel: 'person', drawn: { subjectColor: 'red', objectColor: 'blue' } })).toBe(
      'The person is marked with a red box and the other person with a blue box.',
    );
  });

  it('multi-select, yes/no and phrase prompts', () => {
    expect(multiSelectPrompt(pair, [{ label: '1', phrase: 'x' }], 'numbers')).toContain(
      'e.g. [1, 3], or [] if none applies.',
    );
    expect(yesNoPrompt({ objectLabel: 'cup' }, 'holding a cup')).toBe(
      'Is the person holding a cup? Answer yes or no.',
    );
    expect(phraseQuestionPrompt({ objectLabel: 'cup', cropped: true })).toBe(
      'The image is cropped around the person and the object.\nWhat is the person doing with the cup? Answer with a short phrase.',
    );
  });

  it('handles an empty option list', () => {
    expect(choicePrompt({ objectLabel: 'cup' }, [], 'letters').split('\n')).toHaveLength(2);
  });
});

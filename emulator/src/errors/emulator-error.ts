/** Body of every error the emulator returns, like a vendor's: what failed, where, by which rule. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly field?: string;
    readonly rule?: string;
    /** A create refused because the object exists already: where it is, so it can be adopted. */
    readonly existing?: ExistingObject;
  };
}

/** The platform object a create collided with. */
export interface ExistingObject {
  readonly account_id: string | null;
  readonly id: string;
}

/** A refusal with its HTTP status; thrown by rules and routes, rendered by the error handler. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly rule?: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly existing?: ExistingObject,
  ) {
    super(message);
  }

  body(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field !== undefined ? { field: this.field } : {}),
        ...(this.rule !== undefined ? { rule: this.rule } : {}),
        ...(this.existing !== undefined ? { existing: this.existing } : {}),
      },
    };
  }
}

/**
 * The ARM error envelope `{ error: { code, message, target?, details? } }` and the errors the
 * emulator raises. Handlers throw `ArmError`; the server turns it into the response, so every
 * failure path answers with the same shape as Azure (the SDKs read `error.code` into RestError).
 */

export interface ArmErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
  readonly details?: readonly ArmErrorDetail[];
  readonly additionalInfo?: readonly { readonly type: string; readonly info: unknown }[];
}

export class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  readonly details: readonly ArmErrorDetail[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: {
      target?: string;
      details?: readonly ArmErrorDetail[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'ArmError';
    this.status = status;
    this.code = code;
    this.target = extra.target;
    this.details = extra.details;
    this.headers = extra.headers ?? {};
  }

  toDetail(): ArmErrorDetail {
    return {
      code: this.code,
      message: this.message,
      ...(this.target === undefined ? {} : { target: this.target }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }

  toBody(): { error: ArmErrorDetail } {
    return { error: this.toDetail() };
  }
}

export function isArmError(error: unknown): error is ArmError {
  return error instanceof ArmError;
}

/** 400 with the code most resource providers use for a bad property value. */
export function invalidParameter(message: string, target?: string, code = 'InvalidParameter'): ArmError {
  return new ArmError(400, code, message, target === undefined ? {} : { target });
}

export function badRequest(message: string, code = 'BadRequest', target?: string): ArmError {
  return new ArmError(400, code, message, target === undefined ? {} : { target });
}

export function conflict(code: string, message: string): ArmError {
  return new ArmError(409, code, message);
}

/** ARM front door's message for a missing top-level resource. */
export function resourceNotFound(type: string, name: string, resourceGroup: string | undefined): ArmError {
  const where = resourceGroup === undefined ? '' : ` under resource group '${resourceGroup}'`;
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function resourceGroupNotFound(name: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

export function parentResourceNotFound(parentId: string): ArmError {
  return new ArmError(
    404,
    'ParentResourceNotFound',
    `Can not perform requested operation on nested resource. Parent resource '${parentId}' not found.`,
  );
}

export function subscriptionNotFound(subscriptionId: string): ArmError {
  return new ArmError(
    404,
    'SubscriptionNotFound',
    `The subscription '${subscriptionId}' could not be found.`,
  );
}

export function internalError(message = 'Encountered internal server error.'): ArmError {
  return new ArmError(500, 'InternalServerError', message);
}

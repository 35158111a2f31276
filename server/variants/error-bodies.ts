import type { ServerResponse } from '../handler.ts';
import { mapResponse, requestIdOf } from '../mutants/toolkit.ts';
import type { Variant } from './variant-model.ts';

type Body = Record<string, unknown>;
/** The object that holds code and message in either documented shape (sdrs-api-notes.md §1, §2). */
const WRAPPERS = ['error', 'badrequest', 'itemNotFound'] as const;

/** Every error body rewritten by `edit`, which receives the parsed body and the object holding code/message. */
const onErrorBodies = (edit: (body: Body, inner: Body, response: ServerResponse) => void) =>
  mapResponse((response) => {
    if (response.status < 400 || response.body === undefined) return response;
    const body = JSON.parse(response.body) as Body;
    const wrapper = WRAPPERS.find((key) => typeof body[key] === 'object' && body[key] !== null);
    edit(body, wrapper ? (body[wrapper] as Body) : body, response);
    return { ...response, body: JSON.stringify(body) };
  });

/** Messages in Chinese, as the CN console's API answers them; by status, the code unchanged. */
const CHINESE: Readonly<Record<number, string>> = {
  400: '请求参数无效',
  401: 'IAM认证信息错误：未找到 x-auth-token',
  403: '该IAM用户无权访问此API',
  404: '失败任务不存在',
  405: '请求中指定的方法不被允许',
  406: '服务器生成的响应无法被客户端所接受',
  408: '请求超出了服务器的等待时间',
  409: '保护组正忙，请求无法被完成',
  413: '请求体过大',
  429: '已达到流控阈值',
  500: '内部错误',
};

export const ERROR_BODY_VARIANTS: Variant[] = [
  {
    name: 'error-body-extras',
    description: 'error bodies carry fields beyond code and message (request_id, details, encoded_authorization_message): ErrorBody is not a closed schema',
    runFlags: [],
    handler: onErrorBodies((body, inner, response) => {
      body.request_id = requestIdOf(response);
      inner.details = [{ reason: 'see request_id in the service log' }];
      inner.encoded_authorization_message = null;
    }),
  },
  {
    name: 'chinese-messages',
    description: 'error messages in Chinese (错误信息 is a free string); codes unchanged',
    runFlags: [],
    handler: onErrorBodies((_body, inner, response) => {
      const message = CHINESE[response.status] ?? '请求失败';
      if ('error_msg' in inner) inner.error_msg = message;
      else inner.message = message;
    }),
  },
];
